import { runCli } from './main';

runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`deeptriage: ${err.message}`);
    process.exit(1);
  },
);
