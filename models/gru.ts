import { recordsRnnDef } from './lib/records-rnn';

export default recordsRnnDef('gru', 'gru', false);
