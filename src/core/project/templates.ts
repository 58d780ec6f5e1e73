/**
 * "TinyGo: New Project": from a board (its TinyGo target and the build tags its target file gives) and a module
 * name, the files of a project that builds for that board. Pure: the glue writes the files and opens the folder.
 *
 * The board decides three things: whether it has `machine.LED` (the micro:bits have an LED matrix instead), which
 * I2C sensor is realistic on its default bus (the micro:bit v2's bus is the internal one, where its LSM303AGR
 * accelerometer sits; elsewhere a BME280 breakout on the board's SDA/SCL pins), and whether the radio is usable
 * (tinygo.org/x/bluetooth needs a SoftDevice on nRF chips: targets with the `softdevice` build tag).
 */

import { BLUETOOTH_GO_MOD_BODY, BLUETOOTH_GO_SUM } from './bluetoothModule';
import * as sources from './sources';

export type TemplateId = 'blinky' | 'serial-echo' | 'i2c-sensor' | 'ble-advertiser';

export interface ProjectFile {
  /** Relative to the new project's folder, with `/`. */
  path: string;
  content: string;
}

export interface ProjectRequest {
  template: TemplateId;
  /** The TinyGo target, e.g. feather-nrf52840. */
  target: string;
  /** The target's build tags (its resolved target file's `build-tags`, or `tinygo info`'s). */
  buildTags: readonly string[];
  /** The Go module path for go.mod. */
  module: string;
}

export interface TemplateChoice {
  id: TemplateId;
  label: string;
  detail: string;
  /** Why the template does not fit the board; undefined when it does. */
  unavailable?: string;
}

/** The label of the build task the template's tasks.json holds; a debug configuration names it as preLaunchTask. */
export const BUILD_TASK_LABEL = 'TinyGo: build';
export const FLASH_TASK_LABEL = 'TinyGo: flash';

/** The Go version a project without dependencies declares (TinyGo 0.39 accepts Go 1.22 to 1.25). */
const GO_LINE = 'go 1.22';

const TEMPLATES: readonly { id: TemplateId; label: string; detail: string }[] = [
  { id: 'blinky', label: 'Blinky', detail: 'Blink the board\'s LED (an LED of the matrix on a micro:bit).' },
  { id: 'serial-echo', label: 'Serial echo', detail: 'Echo every line typed into the serial monitor.' },
  { id: 'i2c-sensor', label: 'I2C sensor', detail: 'Read a sensor\'s registers over the board\'s default I2C bus (machine.I2C0).' },
  { id: 'ble-advertiser', label: 'Bluetooth LE advertiser', detail: 'Advertise as "TinyGo" with tinygo.org/x/bluetooth.' },
];

export function hasLedMatrix(buildTags: readonly string[]): boolean {
  return buildTags.includes('microbit') || buildTags.includes('microbit_v2');
}

/**
 * Why the BLE template cannot build for these tags, or undefined when it can. `softDeviceTargets` are the targets
 * that add a SoftDevice to this board (e.g. microbit-v2-s113v7), offered in the reason.
 */
export function bluetoothUnavailable(target: string, buildTags: readonly string[], softDeviceTargets: readonly string[] = []): string | undefined {
  if (buildTags.includes('softdevice')) return undefined;
  if (!buildTags.includes('nrf')) return `tinygo.org/x/bluetooth has no support for ${target}'s radio in this template (nRF boards with a SoftDevice only).`;
  const alt = softDeviceTargets.length ? ` Choose ${softDeviceTargets.join(' or ')} (the same board with a SoftDevice) instead.` : '';
  return `${target} has no SoftDevice, which tinygo.org/x/bluetooth needs on nRF chips.${alt}`;
}

/**
 * The targets that are this board plus a SoftDevice (microbit-v2 → microbit-v2-s113v7, microbit-v2-s140v7): they
 * inherit the board's target and add the `softdevice` tag. `tagsOf` gives a target's resolved build tags and
 * `inheritsOf` its own `inherits` list (TargetFileResolver / the target files).
 */
export function softDeviceTargets(target: string, names: readonly string[], inheritsOf: (name: string) => readonly string[],
  tagsOf: (name: string) => readonly string[]): string[] {
  return names.filter((n) => n !== target && inheritsOf(n).includes(target) && tagsOf(n).includes('softdevice')).sort();
}

export function templateChoices(target: string, buildTags: readonly string[], softDeviceTargets: readonly string[] = []): TemplateChoice[] {
  return TEMPLATES.map((t) => {
    const unavailable = t.id === 'ble-advertiser' ? bluetoothUnavailable(target, buildTags, softDeviceTargets) : undefined;
    return unavailable ? { ...t, unavailable } : { ...t };
  });
}

// Go's module path rules (golang.org/x/mod/module.CheckPath), minus the first-element dot rule: an example.com-less
// name like `blinky` is what `go mod init blinky` accepts too.
const MODULE_ELEMENT = /^[A-Za-z0-9](?:[A-Za-z0-9._~-]*[A-Za-z0-9_~-])?$/;
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export function moduleProblem(module: string): string | undefined {
  if (module.trim() === '') return 'The module path is empty.';
  if (module.length > 300) return 'The module path is longer than 300 characters.';
  const bad = module.split('/').find((e) => !MODULE_ELEMENT.test(e) || e.endsWith('.'));
  return bad === undefined ? undefined : `"${module}" is not a Go module path: "${bad}" is not a valid path element.`;
}

/** The files of the new project, or why it cannot be made for this board. */
export function projectFiles(req: ProjectRequest): { files: ProjectFile[] } | { error: string } {
  const modProblem = moduleProblem(req.module);
  if (modProblem) return { error: modProblem };
  if (!TARGET_NAME.test(req.target)) return { error: `"${req.target}" is not a TinyGo target name.` };
  if (!TEMPLATES.some((t) => t.id === req.template)) return { error: `There is no template "${req.template}".` };

  const files: ProjectFile[] = [];
  switch (req.template) {
    case 'blinky':
      files.push({ path: 'main.go', content: sources.blinky(hasLedMatrix(req.buildTags)) });
      break;
    case 'serial-echo':
      files.push({ path: 'main.go', content: sources.serialEcho() });
      break;
    case 'i2c-sensor':
      files.push({ path: 'main.go', content: sources.i2cSensor(req.buildTags.includes('microbit_v2') ? sources.LSM303AGR : sources.BME280) });
      break;
    case 'ble-advertiser': {
      const why = bluetoothUnavailable(req.target, req.buildTags);
      if (why) return { error: why };
      files.push({ path: 'main.go', content: sources.bleAdvertiser() });
      break;
    }
  }
  const ble = req.template === 'ble-advertiser';
  files.unshift({ path: 'go.mod', content: `module ${req.module}\n\n${ble ? BLUETOOTH_GO_MOD_BODY : `${GO_LINE}\n`}` });
  if (ble) files.push({ path: 'go.sum', content: BLUETOOTH_GO_SUM });
  files.push({ path: '.vscode/settings.json', content: json({ 'tinygo.target': req.target }) });
  files.push({ path: '.vscode/tasks.json', content: json(tasksJson()) });
  return { files };
}

/**
 * The `tinygo` task type (package.json taskDefinitions): no `target`, so the tasks follow the folder's
 * `tinygo.target` when the user switches boards.
 */
function tasksJson(): unknown {
  return {
    version: '2.0.0',
    tasks: [
      { type: 'tinygo', command: 'build', label: BUILD_TASK_LABEL, problemMatcher: ['$tinygo'], group: { kind: 'build', isDefault: true } },
      { type: 'tinygo', command: 'flash', label: FLASH_TASK_LABEL, problemMatcher: ['$tinygo'] },
    ],
  };
}

function json(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}
