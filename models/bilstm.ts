import { recordsRnnDef } from './lib/records-rnn';

export default recordsRnnDef('bilstm', 'lstm', true);
