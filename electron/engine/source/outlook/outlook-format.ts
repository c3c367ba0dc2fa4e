/**
 * Telling an Outlook file by its first bytes, apart from the readers (pst-extractor, msgreader): discovery
 * calls it for every file and must not load those packages before the first message is parsed (issue 15).
 */
export type OutlookFormat = 'pst' | 'msg';

const PST_MAGIC = Buffer.from('!BDN');
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The Outlook format of a file by its first bytes (PST/OST: "!BDN"; .msg: an OLE compound file), or null. */
export function outlookFormatOf(head: Buffer): OutlookFormat | null {
  if (head.subarray(0, 4).equals(PST_MAGIC)) return 'pst';
  if (head.subarray(0, 8).equals(OLE_MAGIC)) return 'msg';
  return null;
}
