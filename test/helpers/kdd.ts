/**
 * Generated NSL-KDD records (41 features, label, difficulty): normal traffic is small http, neptune a SYN
 * flood (S0 flag, high count), smurf large ICMP echo. Written by code, never copied from a dataset.
 */
export function nslKddLine(i: number): string {
  const kind = ['normal', 'neptune', 'smurf'][i % 3];
  const proto = kind === 'smurf' ? 'icmp' : 'tcp';
  const service = kind === 'smurf' ? 'ecr_i' : kind === 'neptune' ? 'private' : ['http', 'smtp', 'ftp_data'][i % 3 === 0 ? (i / 3) % 3 : 0];
  const flag = kind === 'neptune' ? 'S0' : 'SF';
  const src = kind === 'smurf' ? 1032 : kind === 'neptune' ? 0 : 200 + ((i * 37) % 400);
  const dst = kind === 'normal' ? 1000 + ((i * 91) % 5000) : 0;
  const rest = Array.from({ length: 35 }, (_, j) => {
    if (j === 16) return kind === 'normal' ? 1 + (i % 5) : 200 + (i % 50); // count
    if (j === 18) return kind === 'neptune' ? '1.00' : '0.00'; // serror_rate
    return (i + j) % 7 === 0 ? 1 : 0;
  });
  return [i % 4, proto, service, flag, src, dst, ...rest, kind, 15 + (i % 7)].join(',');
}

export function nslKddFile(rows: number, offset = 0): string {
  return Array.from({ length: rows }, (_, i) => nslKddLine(i + offset)).join('\n') + '\n';
}
