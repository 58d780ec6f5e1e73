module example.com/feather-blinky

go 1.22
