/**
 * A squarified treemap layout (Bruls, Huizing and van Wijk, 2000), pure so that the webview and the unit tests run
 * the same code: rectangles whose areas are proportional to the values and whose sides stay close to square, so
 * that the labels of the big items fit.
 */

export interface TreemapItem<K = string> { key: K; value: number }
export interface TreemapRect<K = string> { key: K; value: number; x: number; y: number; w: number; h: number }

/** The rectangles of the items with a positive value, in the order of decreasing value, tiling the w × h box. */
export function squarify<K>(items: readonly TreemapItem<K>[], w: number, h: number): TreemapRect<K>[] {
  const todo = items.filter((i) => Number.isFinite(i.value) && i.value > 0).sort((a, b) => b.value - a.value);
  const out: TreemapRect<K>[] = [];
  if (todo.length === 0 || !(w > 0) || !(h > 0)) return out;
  const total = todo.reduce((n, i) => n + i.value, 0);
  const scale = (w * h) / total;
  let box = { x: 0, y: 0, w, h };
  let i = 0;
  while (i < todo.length) {
    const side = Math.min(box.w, box.h);
    // Grow the row while its worst aspect ratio improves.
    let row = [todo[i]!];
    let rowArea = todo[i]!.value * scale;
    let best = worst(row, rowArea, side, scale);
    let j = i + 1;
    while (j < todo.length) {
      const area = rowArea + todo[j]!.value * scale;
      const next = worst([...row, todo[j]!], area, side, scale);
      if (next > best) break;
      row = [...row, todo[j]!];
      rowArea = area;
      best = next;
      j++;
    }
    // The last row takes what is left of the box, so rounding never leaves a sliver.
    const last = j >= todo.length;
    const horizontal = box.w >= box.h; // lay the row along the shorter side
    const thick = last ? (horizontal ? box.w : box.h) : rowArea / side;
    let along = 0;
    for (let k = 0; k < row.length; k++) {
      const it = row[k]!;
      const len = k === row.length - 1 ? side - along : (it.value * scale) / thick;
      out.push(horizontal
        ? { key: it.key, value: it.value, x: box.x, y: box.y + along, w: thick, h: len }
        : { key: it.key, value: it.value, x: box.x + along, y: box.y, w: len, h: thick });
      along += len;
    }
    box = horizontal ? { x: box.x + thick, y: box.y, w: box.w - thick, h: box.h } : { x: box.x, y: box.y + thick, w: box.w, h: box.h - thick };
    i = j;
  }
  return out;
}

function worst<K>(row: readonly TreemapItem<K>[], area: number, side: number, scale: number): number {
  const thick = area / side;
  let r = 0;
  for (const it of row) {
    const len = (it.value * scale) / thick;
    r = Math.max(r, len / thick, thick / len);
  }
  return r;
}
