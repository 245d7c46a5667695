import { recordsRnnDef } from './lib/records-rnn';

export default recordsRnnDef('lstm', 'lstm', false);
