package status

import "fmt"

const (
	// MinEntries is the smallest number of entries of a list this package creates: 131,072
	// (16 KiB of one-bit statuses), the Bitstring Status List minimum for group privacy.
	MinEntries = 131072
	// MaxListBytes bounds an uncompressed list: 16 MiB. Decode refuses anything larger, so a
	// GZIP bomb cannot exhaust memory.
	MaxListBytes = 16 << 20
	// MaxStatusSize is the largest statusSize, in bits, this package reads or writes. A size of
	// n needs 2^n status messages, so real lists stay far below it.
	MaxStatusSize = 16
)

// Bitstring is an uncompressed status list. Index 0 is the most significant bit of the first
// byte (W3C Bitstring Status List §2.2). The zero value is an empty list.
type Bitstring struct {
	bits []byte
}

// New returns an all-zero list of nbits bits, rounded up to a whole number of bytes. It refuses
// lists shorter than MinEntries bits (ErrListTooShort) or longer than MaxListBytes bytes
// (ErrListTooLarge). For statuses of s bits, ask for MinEntries*s bits or more.
func New(nbits int) (*Bitstring, error) {
	if nbits < MinEntries {
		return nil, fmt.Errorf("new status list of %d bits: %w: a list needs at least %d entries", nbits, ErrListTooShort, MinEntries)
	}
	if nbits > MaxListBytes*8 {
		return nil, fmt.Errorf("new status list of %d bits: %w: at most %d bits are allowed", nbits, ErrListTooLarge, MaxListBytes*8)
	}
	return &Bitstring{bits: make([]byte, (nbits+7)/8)}, nil
}

// Len is the number of bits in the list (a multiple of 8). A nil list has none.
func (b *Bitstring) Len() int {
	if b == nil {
		return 0
	}
	return len(b.bits) * 8
}

// Entries is the number of statuses of size bits the list holds (0 for an invalid size).
func (b *Bitstring) Entries(size int) int {
	if size < 1 || size > MaxStatusSize {
		return 0
	}
	return b.Len() / size
}

// Get reports whether bit i is set.
func (b *Bitstring) Get(i int) (bool, error) {
	v, err := b.Value(i, 1)
	return v == 1, err
}

// Set sets (v true) or clears bit i.
func (b *Bitstring) Set(i int, v bool) error {
	var x uint64
	if v {
		x = 1
	}
	return b.SetValue(i, 1, x)
}

// Value reads the status at index of a list whose statuses are size bits wide: the bits from
// index*size to index*size+size-1, the first one most significant.
func (b *Bitstring) Value(index, size int) (uint64, error) {
	pos, err := b.position(index, size)
	if err != nil {
		return 0, err
	}
	var v uint64
	for p := pos; p < pos+size; p++ {
		v = v<<1 | uint64(b.bits[p>>3]>>(7-p&7)&1)
	}
	return v, nil
}

// SetValue writes the status at index of a list whose statuses are size bits wide. The value
// must fit in size bits.
func (b *Bitstring) SetValue(index, size int, v uint64) error {
	pos, err := b.position(index, size)
	if err != nil {
		return err
	}
	if v>>size != 0 {
		return fmt.Errorf("set status %d at index %d: %w: %d does not fit in %d bits", v, index, ErrInvalidStatusSize, v, size)
	}
	for p := pos + size - 1; p >= pos; p-- {
		mask := byte(1) << (7 - p&7)
		if v&1 == 1 {
			b.bits[p>>3] |= mask
		} else {
			b.bits[p>>3] &^= mask
		}
		v >>= 1
	}
	return nil
}

// position returns the first bit of the status at index, or an error if it is outside the list.
func (b *Bitstring) position(index, size int) (int, error) {
	if size < 1 || size > MaxStatusSize {
		return 0, fmt.Errorf("status size %d: %w: it must be from 1 to %d bits", size, ErrInvalidStatusSize, MaxStatusSize)
	}
	entries := b.Len() / size
	if entries == 0 {
		return 0, fmt.Errorf("index %d: %w: the list is empty", index, ErrIndexOutOfRange)
	}
	if index < 0 || index >= entries {
		return 0, fmt.Errorf("index %d: %w: the list holds %d entries of %d bit(s), indexes 0 to %d", index, ErrIndexOutOfRange, entries, size, entries-1)
	}
	return index * size, nil
}
