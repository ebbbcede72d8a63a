package status

import (
	"errors"
	"path/filepath"
	"testing"
)

// setBits lists the set bits of b.
func setBits(t *testing.T, b *Bitstring) []int {
	t.Helper()
	var out []int
	for i := range b.Len() {
		v, err := b.Get(i)
		if err != nil {
			t.Fatalf("Get(%d): %v", i, err)
		}
		if v {
			out = append(out, i)
		}
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBitOrder(t *testing.T) {
	t.Run("index 0 is the most significant bit of the first byte", func(t *testing.T) {
		b, err := New(MinEntries)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 7, 8, b.Len() - 1} {
			if err := b.Set(i, true); err != nil {
				t.Fatal(err)
			}
		}
		if b.bits[0] != 0x81 || b.bits[1] != 0x80 || b.bits[len(b.bits)-1] != 0x01 {
			t.Fatalf("bytes = %#x %#x … %#x, want 0x81 0x80 … 0x01", b.bits[0], b.bits[1], b.bits[len(b.bits)-1])
		}
		if err := b.Set(7, false); err != nil {
			t.Fatal(err)
		}
		if b.bits[0] != 0x80 {
			t.Fatalf("clearing bit 7 left byte 0 = %#x, want 0x80", b.bits[0])
		}
	})

	// The W3C test suite's list (fixtures/status-credentials/single-purpose-ok.jsonld) marks
	// index 201 for its should-be-revoked credential; a reader taking bits LSB-first would find
	// 206 instead.
	t.Run("the W3C test-suite list has index 201 set when read MSB-first", func(t *testing.T) {
		b, err := Decode(w3cSuiteList)
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() != 200000 {
			t.Fatalf("Len = %d, want 200000", b.Len())
		}
		if got := setBits(t, b); !equalInts(got, []int{201, 57444, 94023}) {
			t.Fatalf("set bits = %v, want [201 57444 94023]", got)
		}
	})

	t.Run("the W3C specification's example list has 131,072 entries, all clear", func(t *testing.T) {
		b, err := Decode(w3cExample3List)
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() != MinEntries {
			t.Fatalf("Len = %d, want %d", b.Len(), MinEntries)
		}
		if got := setBits(t, b); len(got) != 0 {
			t.Fatalf("set bits = %v, want none", got)
		}
	})

	for _, tc := range []struct {
		name, file string
		bits       int
		set        []int
	}{
		{"the Digital Credentials Consortium list revokes indexes 2, 6 and 8", "dcc-status-e5WK8CbZ1GjycuPombrj.json", 100000, []int{2, 6, 8}},
		{"the 1EdTech validator list revokes index 23", "1edtech-bitstring-testlist.json", MinEntries, []int{23}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := loadJSON(t, filepath.Join(vectors, "web", tc.file))
			b, err := Decode(list["credentialSubject"].(map[string]any)["encodedList"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if b.Len() != tc.bits {
				t.Fatalf("Len = %d, want %d", b.Len(), tc.bits)
			}
			if got := setBits(t, b); !equalInts(got, tc.set) {
				t.Fatalf("set bits = %v, want %v", got, tc.set)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Run("a list shorter than 131,072 entries is refused", func(t *testing.T) {
		if _, err := New(MinEntries - 8); !errors.Is(err, ErrListTooShort) {
			t.Fatalf("err = %v, want ErrListTooShort", err)
		}
	})
	t.Run("a list above 16 MiB is refused", func(t *testing.T) {
		if _, err := New(MaxListBytes*8 + 8); !errors.Is(err, ErrListTooLarge) {
			t.Fatalf("err = %v, want ErrListTooLarge", err)
		}
	})
	t.Run("a size is rounded up to whole bytes", func(t *testing.T) {
		b, err := New(MinEntries + 3)
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() != MinEntries+8 {
			t.Fatalf("Len = %d, want %d", b.Len(), MinEntries+8)
		}
	})
}

func TestIndexes(t *testing.T) {
	b, err := New(MinEntries)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{-1, MinEntries, MinEntries + 1, int(^uint(0) >> 1)} {
		if _, err := b.Get(i); !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("Get(%d) err = %v, want ErrIndexOutOfRange", i, err)
		}
		if err := b.Set(i, true); !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("Set(%d) err = %v, want ErrIndexOutOfRange", i, err)
		}
	}
	t.Run("a nil or empty list has no index", func(t *testing.T) {
		var nilList *Bitstring
		if _, err := nilList.Get(0); !errors.Is(err, ErrIndexOutOfRange) {
			t.Fatalf("err = %v, want ErrIndexOutOfRange", err)
		}
		if _, err := (&Bitstring{}).Get(0); !errors.Is(err, ErrIndexOutOfRange) {
			t.Fatalf("err = %v, want ErrIndexOutOfRange", err)
		}
	})
}

func TestMultiBitValues(t *testing.T) {
	b, err := New(MinEntries * 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a two-bit status at index 3 occupies bits 6 and 7, first bit most significant", func(t *testing.T) {
		if err := b.SetValue(3, 2, 0b10); err != nil {
			t.Fatal(err)
		}
		if b.bits[0] != 0b00000010 {
			t.Fatalf("byte 0 = %08b, want 00000010", b.bits[0])
		}
		v, err := b.Value(3, 2)
		if err != nil || v != 2 {
			t.Fatalf("Value = %d, %v; want 2", v, err)
		}
	})
	t.Run("statuses crossing a byte boundary read back", func(t *testing.T) {
		for i, v := range []uint64{5, 0, 7, 1, 6, 3} {
			if err := b.SetValue(100+i, 3, v); err != nil {
				t.Fatal(err)
			}
		}
		for i, want := range []uint64{5, 0, 7, 1, 6, 3} {
			if got, err := b.Value(100+i, 3); err != nil || got != want {
				t.Fatalf("Value(%d, 3) = %d, %v; want %d", 100+i, got, err, want)
			}
		}
	})
	t.Run("a value wider than the status is refused", func(t *testing.T) {
		if err := b.SetValue(0, 2, 4); !errors.Is(err, ErrInvalidStatusSize) {
			t.Fatalf("err = %v, want ErrInvalidStatusSize", err)
		}
	})
	t.Run("status sizes outside 1 to 16 bits are refused", func(t *testing.T) {
		for _, size := range []int{0, -1, MaxStatusSize + 1} {
			if _, err := b.Value(0, size); !errors.Is(err, ErrInvalidStatusSize) {
				t.Fatalf("size %d: err = %v, want ErrInvalidStatusSize", size, err)
			}
		}
	})
	t.Run("the last entry of a size is the last index in range", func(t *testing.T) {
		last := b.Entries(3) - 1
		if err := b.SetValue(last, 3, 7); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Value(last+1, 3); !errors.Is(err, ErrIndexOutOfRange) {
			t.Fatalf("err = %v, want ErrIndexOutOfRange", err)
		}
	})
}
