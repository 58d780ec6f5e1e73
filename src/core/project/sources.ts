/** The main.go of each "New Project" template (Go source as text; the template test builds each with tinygo). */

export function blinky(ledMatrix: boolean): string {
  const setup = ledMatrix
    ? `	// The micro:bit has no single user LED but a matrix: with column 1 driven low, row 1 lights the top-left LED.
	col := machine.LED_COL_1
	col.Configure(machine.PinConfig{Mode: machine.PinOutput})
	col.Low()
	led := machine.LED_ROW_1
`
    : `	led := machine.LED
`;
  return `// Blinky: the first program for a new board.
//
//	tinygo flash .
package main

import (
	"machine"
	"time"
)

func main() {
${setup}	led.Configure(machine.PinConfig{Mode: machine.PinOutput})
	for {
		led.High()
		time.Sleep(500 * time.Millisecond)
		led.Low()
		time.Sleep(500 * time.Millisecond)
	}
}
`;
}

export function serialEcho(): string {
  return `// Serial echo: every line typed into the serial monitor comes back, prefixed.
//
//	tinygo flash .
//	tinygo monitor
package main

import (
	"machine"
	"time"
)

func main() {
	serial := machine.Serial
	var line [64]byte
	n := 0
	println("type a line")
	for {
		if serial.Buffered() == 0 {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		c, err := serial.ReadByte()
		if err != nil {
			continue
		}
		if c == '\\r' || c == '\\n' || n == len(line) {
			if n > 0 {
				serial.Write([]byte("echo: "))
				serial.Write(line[:n])
				serial.Write([]byte("\\r\\n"))
			}
			n = 0
			continue
		}
		line[n] = c
		n++
	}
}
`;
}

/** One register-level sensor: enough to show the I2C calls without a driver module. */
export interface I2cSensor {
  name: string;
  /** 7-bit address, and where the sensor is. */
  address: number;
  where: string;
  idRegister: number;
  id: number;
  /** First data register and how many bytes to read from it (the sensor must auto-increment). */
  dataRegister: number;
  dataLength: number;
  dataName: string;
  /** Register writes that start measuring, as [register, value]. */
  setup: [number, number][];
}

/** The micro:bit v2's on-board accelerometer, on the internal I2C bus machine.I2C0 is wired to. */
export const LSM303AGR: I2cSensor = {
  name: 'LSM303AGR accelerometer', address: 0x19, where: 'on the board, on the internal I2C bus',
  idRegister: 0x0f, id: 0x33,
  // OUT_X_L_A; the register address's top bit asks for auto-increment.
  dataRegister: 0x28 | 0x80, dataLength: 6, dataName: 'acceleration X, Y, Z (little-endian, 16 bit)',
  setup: [[0x20, 0x57]], // CTRL_REG1_A: 100 Hz, normal mode, X/Y/Z on
};

/** A Bosch BME280 breakout (Adafruit's default address) on the board's SDA/SCL pins. */
export const BME280: I2cSensor = {
  name: 'BME280 temperature/pressure/humidity sensor', address: 0x77, where: 'a breakout wired to the board\'s SDA and SCL pins',
  idRegister: 0xd0, id: 0x60,
  dataRegister: 0xfa, dataLength: 3, dataName: 'raw temperature (20 bit, uncompensated)',
  setup: [[0xf4, 0x27]], // ctrl_meas: temperature and pressure oversampling x1, normal mode
};

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0').toUpperCase()}`;

export function i2cSensor(s: I2cSensor): string {
  const setup = s.setup.map(([r, v]) => `	must("start measuring", bus.Tx(address, []byte{${hex(r)}, ${hex(v)}}, nil))\n`).join('');
  return `// Read a ${s.name} over I2C: its identity register, then ${s.dataName} once a second.
// The sensor is ${s.where} (address ${hex(s.address)}). Only the machine package is used: machine.I2C0
// with an empty I2CConfig runs at 100 kHz on the board's default SDA/SCL pins.
//
//	tinygo flash .
//	tinygo monitor
package main

import (
	"machine"
	"time"
)

const address = ${hex(s.address)}

func main() {
	bus := machine.I2C0
	must("configure I2C", bus.Configure(machine.I2CConfig{}))

	id := []byte{0}
	must("read the identity register", bus.Tx(address, []byte{${hex(s.idRegister)}}, id))
	if id[0] != ${hex(s.id)} {
		println("no ${s.name} answers at", address, "- identity register reads", id[0])
	}
${setup}
	data := make([]byte, ${s.dataLength})
	for {
		if err := bus.Tx(address, []byte{${hex(s.dataRegister)}}, data); err != nil {
			println("read failed:", err.Error())
		} else {
			print("data:")
			for _, b := range data {
				print(" ", b)
			}
			println()
		}
		time.Sleep(time.Second)
	}
}

func must(action string, err error) {
	if err != nil {
		for {
			println("failed to", action+":", err.Error())
			time.Sleep(time.Second)
		}
	}
}
`;
}

export function bleAdvertiser(): string {
  return `// Bluetooth LE advertiser: the board shows up as "TinyGo" in a BLE scanner app (nRF Connect, LightBlue).
//
//	tinygo flash .
package main

import (
	"time"

	"tinygo.org/x/bluetooth"
)

var adapter = bluetooth.DefaultAdapter

func main() {
	must("enable the BLE stack", adapter.Enable())
	adv := adapter.DefaultAdvertisement()
	must("configure the advertisement", adv.Configure(bluetooth.AdvertisementOptions{
		LocalName: "TinyGo",
	}))
	must("start advertising", adv.Start())
	for {
		println("advertising as TinyGo")
		time.Sleep(5 * time.Second)
	}
}

func must(action string, err error) {
	if err != nil {
		for {
			println("failed to", action+":", err.Error())
			time.Sleep(time.Second)
		}
	}
}
`;
}
