package interchange

import "os"

// ReadFile returns the content of the file at path, to give Import, and
// a function to call once nothing uses the content any more. Where the
// system allows (mapFile), the file is mapped rather than read: its
// bytes stay in the system's file cache instead of being copied into the
// process's memory, which an import of a 30 MB vCard file would
// otherwise hold, twice over with the garbage collector's headroom, while
// it plans. Nothing Import returns refers to the content.
//
// A mapped file that another program truncates while it is read stops
// the process (SIGBUS); the database stays as its last commit left it.
func ReadFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Mode().IsRegular() && fi.Size() > 0 {
		if data, unmap, ok := mapFile(f, fi.Size()); ok {
			return data, unmap, nil
		}
	}
	data, err := os.ReadFile(path)
	return data, func() {}, err
}
