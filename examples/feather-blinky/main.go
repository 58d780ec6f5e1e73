// Blinky plus serial echo for an Adafruit Feather nRF52840 (or any nRF52840 board with an LED).
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
	led := machine.LED
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
			serial.Write([]byte("echo: "))
			serial.Write(line[:n])
			serial.Write([]byte("\r\n"))
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
