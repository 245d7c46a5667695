import { recordsRnnDef } from './lib/records-rnn';

export default recordsRnnDef('birnn', 'simplernn', true);
