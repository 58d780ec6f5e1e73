package main

// This file shows the kinds of diagnostic TinyGo Workbench reports while you edit. It compiles with TinyGo, but
// each marked line is something to know about on a microcontroller. The program in main.go does not call it.

import (
	"fmt"
	"reflect"
	"sync"
)

type Sensor struct{ name string }

func (s *Sensor) Start() {}

// What TinyGo cannot run: reflect.Value.MethodByName compiles, then panics on the device.
func startByName(x any) {
	v := reflect.ValueOf(x)
	v.MethodByName("Start").Call(nil)
}

// Heap allocations: the slice grows in a loop and the string is built on the heap.
func collect(n int) ([]int, string) {
	var xs []int
	s := ""
	for i := 0; i < n; i++ {
		xs = append(xs, i)
		s += fmt.Sprint(i)
	}
	return xs, s
}

// sync.Pool misuse: a slice put back by value allocates on every Put.
var bufs = sync.Pool{New: func() any { return make([]byte, 0, 64) }}

func usePool() {
	b := bufs.Get().([]byte)
	b = append(b[:0], "hello"...)
	bufs.Put(b)
}
