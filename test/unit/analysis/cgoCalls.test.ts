/**
 * Which C functions called through cgo keep their pointer arguments (src/core/analysis/rules/cgoCalls.ts), read
 * from preambles in the shapes cgo accepts: a block comment, line comments, SoftDevice headers, SVCALL declarations,
 * and broken C (an unclosed body must not throw or swallow the rest).
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { cgoCallKeeps } from '../../../src/core/analysis/rules/cgoCalls';

void test('cgoCallKeeps: sd_* functions are SoftDevice calls once a SoftDevice header is included, not sd_nvic_* or *_iter', () => {
  const block = '/*\n#cgo CFLAGS: -Is140/include\n#include "nrf_soc.h"\n*/';
  assert.equal(cgoCallKeeps(block, 'sd_rand_application_vector_get'), 'softdevice');
  assert.equal(cgoCallKeeps(block, 'sd_nvic_critical_region_enter'), undefined);
  assert.equal(cgoCallKeeps(block, 'sd_ble_gattc_evt_char_val_by_uuid_read_rsp_iter'), undefined);
  assert.equal(cgoCallKeeps(block, 'memcpy'), undefined);
  // The same name without a SoftDevice header is some other C function: TinyGo trusts an extern one.
  assert.equal(cgoCallKeeps('/*\n#include "sd_card.h"\n*/', 'sd_read_block'), undefined);
  assert.equal(cgoCallKeeps('', 'sd_ble_enable'), undefined);
  // Line comments and a header in a subdirectory.
  assert.equal(cgoCallKeeps('// #include <s140/ble_gap.h>\n// #include <stdint.h>', 'sd_ble_gap_connect'), 'softdevice');
});

void test('cgoCallKeeps: static functions of inline assembly and SVCALL declarations in the preamble; extern and plain C bodies are trusted', () => {
  const pre = [
    '/*',
    '#include <stdint.h>',
    'uint32_t extern_fill(uint8_t *p, uint32_t n);',
    'static inline uint32_t peek(const uint32_t *p) { if (p) { return *p; } return 0; }',
    '__attribute__((naked)) static uint32_t trap(void *p)',
    '{',
    '\t__asm("svc 0x10\\n" "bx r14" : : : "r0");',
    '}',
    'static inline void barrier(uint32_t *p) { __asm__ volatile ("dmb" ::: "memory"); *p = 1; }',
    'SVCALL(SD_CUSTOM, uint32_t, custom_call(uint8_t *p_data));',
    '*/',
  ].join('\n');
  assert.equal(cgoCallKeeps(pre, 'trap'), 'asm');
  assert.equal(cgoCallKeeps(pre, 'barrier'), 'asm');
  assert.equal(cgoCallKeeps(pre, 'custom_call'), 'asm');
  assert.equal(cgoCallKeeps(pre, 'peek'), undefined);
  assert.equal(cgoCallKeeps(pre, 'extern_fill'), undefined);
});

void test('cgoCallKeeps: broken C in the preamble gives answers, not an exception', () => {
  const broken = '/*\nstatic int open_body(int *p) { if (p) { return 1;\nstatic void later(int *p) { __asm("nop"); }\n*/';
  assert.doesNotThrow(() => cgoCallKeeps(broken, 'later'));
  assert.equal(cgoCallKeeps(broken, 'nothing_here'), undefined);
  assert.equal(cgoCallKeeps('/* ((( { */', 'x'), undefined);
});
