//go:build unix

package interchange

import (
	"os"
	"strconv"
	"syscall"
)

// mapFile maps the file's size bytes, private to this process (a write,
// should any reader make one, changes a copy of the page, not the file).
// ok is false when the file cannot be mapped (too large for the address
// space, a file system without mapping): ReadFile then reads it.
func mapFile(f *os.File, size int64) (data []byte, unmap func(), ok bool) {
	if size > int64(^uint(0)>>1) || (strconv.IntSize == 32 && size > 256<<20) {
		return nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { syscall.Munmap(data) }, true
}
