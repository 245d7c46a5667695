import { dnnDef } from './lib/dnn';

export default dnnDef(4);
