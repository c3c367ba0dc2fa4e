import { endianness } from 'node:os';

/** Whether typed arrays here are little-endian, as every on-disk u32 of the index is: then they can be viewed or copied as bytes. */
export const LITTLE_ENDIAN = endianness() === 'LE';
