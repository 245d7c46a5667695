import { recordsRnnDef } from './lib/records-rnn';

export default recordsRnnDef('simplernn', 'simplernn', false);
