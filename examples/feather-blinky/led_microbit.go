//go:build microbit || microbit_v2

package main

import "machine"

// boardLED: the micro:bit has no single user LED but a matrix of them. With column 1 driven low, row 1 lights
// the top-left LED.
func boardLED() machine.Pin {
	col := machine.LED_COL_1
	col.Configure(machine.PinConfig{Mode: machine.PinOutput})
	col.Low()
	return machine.LED_ROW_1
}
