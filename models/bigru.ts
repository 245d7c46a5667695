import { recordsRnnDef } from './lib/records-rnn';

export default recordsRnnDef('bigru', 'gru', true);
