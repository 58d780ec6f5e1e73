//go:build !microbit && !microbit_v2

package main

import "machine"

// boardLED is the user LED of boards that have one (Feather nRF52840, nice!nano, XIAO BLE, Nordic DKs).
func boardLED() machine.Pin { return machine.LED }
