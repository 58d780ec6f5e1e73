// Blinky plus serial echo for an Adafruit Feather nRF52840, nice!nano, XIAO BLE, a Nordic DK or a micro:bit (v2 or v1).
//
//	tinygo flash -target=feather-nrf52840 .
//	tinygo monitor -target=feather-nrf52840
//
// The LED blinks twice a second from a goroutine; every line typed into the serial monitor is echoed back.
package main

import (
	"machine"
	"time"
)

func main() {
	led := boardLED()
	led.Configure(machine.PinConfig{Mode: machine.PinOutput})
	go blink(led, 250*time.Millisecond)

	serial := machine.Serial
	var line [64]byte
	n := 0
	for {
		if serial.Buffered() == 0 {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		c, err := serial.ReadByte()
		if err != nil {
			continue
		}
		if c == '\r' || c == '\n' || n == len(line) {
			serial.Write(echo(line[:n]))
			n = 0
			continue
		}
		line[n] = c
		n++
	}
}

func blink(led machine.Pin, period time.Duration) {
	for {
		led.High()
		time.Sleep(period)
		led.Low()
		time.Sleep(period)
	}
}

// echo returns the reply to one line. Its buffer is sized by the line, so TinyGo cannot give it a fixed size at
// compile time and allocates it on the heap for every line: the build's allocation report names this function.
func echo(text []byte) []byte {
	reply := make([]byte, 0, len(text)+8)
	reply = append(reply, "echo: "...)
	reply = append(reply, text...)
	return append(reply, '\r', '\n')
}
