/**
 * Generated URL lists with a pattern a character model learns in a few epochs: benign URLs are news-site
 * article paths, malicious ones credential-phishing hosts. Written by code, never copied from a dataset.
 */
export function benignUrl(i: number): string {
  const sites = ['news.example.com', 'www.city-library.org', 'docs.example.net', 'shop.example.co.uk'];
  return `http://${sites[i % sites.length]}/articles/${2000 + (i % 25)}/story-${i}`;
}

export function maliciousUrl(i: number): string {
  const brands = ['paypal', 'appleid', 'bank', 'office365'];
  return `http://secure-login-${brands[i % brands.length]}${i}.xyz/verify/account.php?id=${i}`;
}

export function trainingCsv(n: number): string {
  const lines = ['url,label'];
  for (let i = 0; i < n; i++) lines.push(`${benignUrl(i)},benign`, `${maliciousUrl(i)},malicious`);
  return lines.join('\n') + '\n';
}
