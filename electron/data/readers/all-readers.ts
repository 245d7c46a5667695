import { behaviourReader } from './behaviour';
import { csvReader } from './csv';
import { domainsReader } from './domains';
import { kdd99Reader } from './kdd99';
import { nslKddReader } from './nslkdd';
import type { FormatReader } from './reader';
import { urlsReader } from './urls';
import { zeekConnReader } from './zeek-conn';

/**
 * Every reader, in the order detection asks them: the first that recognises a file reads it. Specific
 * shapes come before general ones (a Zeek header, KDD's 42/43 fields with tcp/udp/icmp, then URL and
 * domain lists, then any CSV with a header row); a reader that detects nothing on its own (behaviour
 * strings) is asked only when the user names its format.
 */
export const READERS: readonly FormatReader[] = [zeekConnReader, behaviourReader, kdd99Reader, nslKddReader, urlsReader, domainsReader, csvReader];
