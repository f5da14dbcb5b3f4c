// Pickle opcodes (the byte values of Python's pickle module), named once for the reader (pickle.ts)
// and the writer (pickle-writer.ts). Only the opcodes a tensor state dict needs are listed.

export const OP = {
  /** protocol version (1 byte) */
  PROTO: 0x80,
  /** frame length hint (8 bytes), protocol 4+ */
  FRAME: 0x95,
  /** end of pickle: the result is on the stack */
  STOP: 0x2e,
  /** push a mark for TUPLE, LIST, DICT, SETITEMS, APPENDS */
  MARK: 0x28,
  /** push {} */
  EMPTY_DICT: 0x7d,
  /** push [] */
  EMPTY_LIST: 0x5d,
  /** push () */
  EMPTY_TUPLE: 0x29,
  /** tuple of the items since the mark */
  TUPLE: 0x74,
  /** list of the items since the mark */
  LIST: 0x6c,
  /** dict of the key/value items since the mark */
  DICT: 0x64,
  /** tuple of the top item */
  TUPLE1: 0x85,
  /** tuple of the top 2 items */
  TUPLE2: 0x86,
  /** tuple of the top 3 items */
  TUPLE3: 0x87,
  /** memoize the top item (1-byte index) */
  BINPUT: 0x71,
  /** memoize the top item (4-byte index) */
  LONG_BINPUT: 0x72,
  /** memoize the top item at the next index (protocol 4+) */
  MEMOIZE: 0x94,
  /** push a memo item (1-byte index) */
  BINGET: 0x68,
  /** push a memo item (4-byte index) */
  LONG_BINGET: 0x6a,
  /** signed 4-byte int */
  BININT: 0x4a,
  /** unsigned 1-byte int */
  BININT1: 0x4b,
  /** unsigned 2-byte int */
  BININT2: 0x4d,
  /** int of n bytes (1-byte n) */
  LONG1: 0x8a,
  /** int of n bytes (4-byte n) */
  LONG4: 0x8b,
  /** big-endian float64 */
  BINFLOAT: 0x47,
  /** UTF-8 str (4-byte length) */
  BINUNICODE: 0x58,
  /** UTF-8 str (1-byte length) */
  SHORT_BINUNICODE: 0x8c,
  /** UTF-8 str (8-byte length) */
  BINUNICODE8: 0x8d,
  /** Python 2 str (4-byte length) */
  BINSTRING: 0x54,
  /** Python 2 str (1-byte length) */
  SHORT_BINSTRING: 0x55,
  /** bytes (4-byte length) */
  BINBYTES: 0x42,
  /** bytes (1-byte length) */
  SHORT_BINBYTES: 0x43,
  /** bytes (8-byte length) */
  BINBYTES8: 0x8e,
  /** True */
  NEWTRUE: 0x88,
  /** False */
  NEWFALSE: 0x89,
  /** None */
  NONE: 0x4e,
  /** discard the top item */
  POP: 0x30,
  /** discard up to the last mark */
  POP_MARK: 0x31,
  /** duplicate the top item */
  DUP: 0x32,
  /** push module.name given as two text lines */
  GLOBAL: 0x63,
  /** push module.name given as two strings on the stack */
  STACK_GLOBAL: 0x93,
  /** call the callable below the top with the top tuple as arguments */
  REDUCE: 0x52,
  /** set the state of the object below the top */
  BUILD: 0x62,
  /** dict[key] = value from the top two items */
  SETITEM: 0x73,
  /** dict updates from the items since the mark */
  SETITEMS: 0x75,
  /** list.append(top) */
  APPEND: 0x61,
  /** list.extend(items since the mark) */
  APPENDS: 0x65,
  /** persistent id (a PyTorch storage) from the top item */
  BINPERSID: 0x51,
  /** cls.__new__(cls, *args) from the top two items (protocol 2; read only as an inert object) */
  NEWOBJ: 0x81,
  /** cls.__new__(cls, *args, **kwargs) (protocol 4; read only as an inert object) */
  NEWOBJ_EX: 0x92,
  /** push an empty set (protocol 4) */
  EMPTY_SET: 0x8f,
  /** set.update(items since the mark) (protocol 4) */
  ADDITEMS: 0x90,
  /** frozenset of the items since the mark (protocol 4) */
  FROZENSET: 0x91,
} as const;

export type Opcode = (typeof OP)[keyof typeof OP];
