// A build-time patch of web-tree-sitter's CommonJS build (applied by scripts/build.mjs to what goes into the
// bundle): the same API and results, with a cheaper crossing between JavaScript and the wasm runtime.
//
// Every Node method writes the node into a transfer buffer and reads its result back as a new Node. In 0.27.1 that
// costs more than the C work for most calls (measured over a quarter of GOROOT/src: 47% of the analysis time was
// spent in node calls, 21% of it in marshalling and constructing Node objects):
//  - setValue/getValue go through a type switch and a DataView (written for big-endian hosts); on a little-endian
//    host an i32 is read and written through HEAP32, which is the same memory in the same byte order;
//  - marshalNode/unmarshalNode do five of those calls each;
//  - the Node class declares its fields as class fields, and one of them is the element `[0]`: every construction
//    defines seven properties and an elements store before the constructor assigns them (5x slower than plain
//    assignments). The patched class assigns named properties in one order and answers `node[0]` from a getter;
//  - `type` asks the runtime again on every read (a third of the reads in the analysis are repeats): a node's symbol
//    never changes, so the Node object keeps it, as it already keeps its `children`;
//  - childForFieldName/childrenForFieldName look the field name up with indexOf over the language's field names: a
//    Map per language instead (the same id: the first index of the name).
//
// Each replacement must match exactly: a web-tree-sitter whose text differs fails the build with the pattern that
// was not found, instead of shipping a half-patched runtime. test/unit/analysis/treeSitterPatch.test.ts compares the
// patched runtime with the original node by node.
'use strict';

/** The web-tree-sitter version the patterns were written against. */
const PATCHED_VERSION = '0.27.1';

function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`web-tree-sitter patch: ${what}: pattern not found: ${JSON.stringify(from.slice(0, 80))}`);
  if (text.indexOf(from, at + from.length) >= 0) throw new Error(`web-tree-sitter patch: ${what}: pattern found twice`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const FAST_MARSHAL = `function marshalNode(node, index = 0) {
  if (!__tgwLittleEndian) return marshalNodeSlow(node, index);
  const h = C.HEAP32;
  const a = (TRANSFER_BUFFER + index * SIZE_OF_NODE) >> 2;
  h[a] = node.id;
  h[a + 1] = node.startIndex;
  h[a + 2] = node.startPosition.row;
  h[a + 3] = node.startPosition.column;
  h[a + 4] = node._other;
}
__name(marshalNode, "marshalNode");
function unmarshalNode(tree, address = TRANSFER_BUFFER) {
  if (!__tgwLittleEndian) return unmarshalNodeSlow(tree, address);
  const h = C.HEAP32;
  const a = address >> 2;
  const id = h[a];
  if (id === 0) return null;
  return new Node(INTERNAL, { id, tree, startIndex: h[a + 1], startPosition: { row: h[a + 2], column: h[a + 3] }, other: h[a + 4] });
}
__name(unmarshalNode, "unmarshalNode");
`;

/** What the patched code uses, put after the file's "use strict". */
const PRELUDE = `const __tgwLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const __tgwFieldIds = new WeakMap();
function __tgwFieldId(language, name) {
  let ids = __tgwFieldIds.get(language);
  if (!ids) {
    ids = new Map();
    language.fields.forEach((field, i) => { if (field !== null && !ids.has(field)) ids.set(field, i); });
    __tgwFieldIds.set(language, ids);
  }
  const id = ids.get(name);
  return id === void 0 ? -1 : id;
}
`;

/** The patched text of web-tree-sitter.cjs. Throws when the text is not the one the patch was written for. */
function patchWebTreeSitter(source) {
  let out = source;
  if (out.includes('__tgwLittleEndian')) throw new Error('web-tree-sitter patch: already patched');

  // 1. i32 fast paths of setValue/getValue (inside the Emscripten module, where HEAP32 is in scope).
  out = replaceOnce(out, '        function setValue(ptr, value, type = "i8") {\n',
    '        function setValue(ptr, value, type = "i8") {\n          if (type === "i32" && __tgwLittleEndian) {\n            HEAP32[ptr >> 2] = value;\n            return;\n          }\n',
    'setValue');
  out = replaceOnce(out, '        function getValue(ptr, type = "i8") {\n',
    '        function getValue(ptr, type = "i8") {\n          if (type === "i32" && __tgwLittleEndian) return HEAP32[ptr >> 2];\n',
    'getValue');

  // 2. marshalNode/unmarshalNode through HEAP32; the originals are kept (renamed) for a big-endian host.
  out = replaceOnce(out, 'function marshalNode(node, index = 0) {\n', 'function marshalNodeSlow(node, index = 0) {\n', 'marshalNode');
  out = replaceOnce(out, '  C.setValue(address, node[0], "i32");\n}\n__name(marshalNode, "marshalNode");\n',
    '  C.setValue(address, node[0], "i32");\n}\n__name(marshalNodeSlow, "marshalNodeSlow");\n', 'marshalNode end');
  out = replaceOnce(out, 'function unmarshalNode(tree, address = TRANSFER_BUFFER) {\n', 'function unmarshalNodeSlow(tree, address = TRANSFER_BUFFER) {\n', 'unmarshalNode');
  out = replaceOnce(out, '__name(unmarshalNode, "unmarshalNode");\n', FAST_MARSHAL, 'unmarshalNode end');

  // 3. The Node class: plain assignments in the constructor instead of class fields.
  const start = out.indexOf('var Node = class {\n');
  const end = out.indexOf("  /** Get this node's type as a numerical id. */\n", start);
  if (start < 0 || end < 0) throw new Error('web-tree-sitter patch: Node class: pattern not found');
  let cls = out.slice(start, end);
  cls = replaceOnce(cls, '  /** @internal */\n  // @ts-expect-error: never read\n  [0] = 0;\n', '', 'Node [0] field');
  cls = replaceOnce(cls, '  /** @internal */\n  _children;\n', '', 'Node _children field');
  cls = replaceOnce(cls, '  /** @internal */\n  _namedChildren;\n', '', 'Node _namedChildren field');
  for (const field of ['id', 'startIndex', 'startPosition', 'tree']) cls = replaceOnce(cls, `\n  ${field};\n`, '\n', `Node ${field} field`);
  cls = replaceOnce(cls, '    this[0] = other;\n', '    this._other = other;\n', 'Node constructor');
  cls = replaceOnce(cls, '    this.startPosition = startPosition;\n  }\n',
    '    this.startPosition = startPosition;\n    this._children = void 0;\n    this._namedChildren = void 0;\n  }\n  /** @internal */\n  get 0() {\n    return this._other;\n  }\n',
    'Node constructor end');
  out = out.slice(0, start) + cls + out.slice(end);

  // 4. The node's type, kept on the Node object after the first read.
  out = replaceOnce(out, '    this._namedChildren = void 0;\n  }\n', '    this._namedChildren = void 0;\n    this._type = void 0;\n  }\n', 'Node _type');
  out = replaceOnce(out, '  get type() {\n    return this.tree.language.types[this.typeId] || "ERROR";\n  }\n',
    '  get type() {\n    let type = this._type;\n    if (type === void 0) type = this._type = this.tree.language.types[this.typeId] || "ERROR";\n    return type;\n  }\n',
    'Node type');

  // 5. Field ids by name through a Map per language.
  out = replaceOnce(out, '  childForFieldName(fieldName) {\n    const fieldId = this.tree.language.fields.indexOf(fieldName);\n',
    '  childForFieldName(fieldName) {\n    const fieldId = __tgwFieldId(this.tree.language, fieldName);\n', 'childForFieldName');
  out = replaceOnce(out, '  childrenForFieldName(fieldName) {\n    const fieldId = this.tree.language.fields.indexOf(fieldName);\n',
    '  childrenForFieldName(fieldName) {\n    const fieldId = __tgwFieldId(this.tree.language, fieldName);\n', 'childrenForFieldName');

  const strict = '"use strict";\n';
  if (!out.startsWith(strict)) throw new Error('web-tree-sitter patch: file start: pattern not found: "use strict"');
  return strict + PRELUDE + out.slice(strict.length);
}

/** A string that survives minification: a bundle that contains web-tree-sitter contains it only if it was patched. */
const PATCH_MARKER = '"marshalNodeSlow"';

module.exports = { patchWebTreeSitter, PATCHED_VERSION, PATCH_MARKER };
