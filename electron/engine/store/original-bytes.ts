import { readSpan } from '../parse/parse-span';
import type { Location } from '../../../shared/types';

/** The exact original bytes of a message location, read back from the evidence. */
export async function readOriginalBytes(loc: Location): Promise<Buffer> {
  return readSpan(loc.path, loc.offset, loc.length);
}
