package federation

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentPeersDeliveringTheSameLog(t *testing.T) {
	t.Run("two peers relaying the same entries at once leave one consistent replica", func(t *testing.T) {
		ctx := context.Background()
		a := newTestOrigin(t, "a.example", fixedClock(testEpoch))
		r := newTestRegistry(t, newTestStorage(t, "pebble"), fixedClock(testEpoch), a)
		const n = 50
		entries := make([][]byte, n)
		for i := range entries {
			entries[i] = a.append(t, fmt.Sprintf("did:web:a.example:s%d", i), StatusActive).JWS
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for _, e := range entries {
					for {
						_, err := r.Apply(ctx, e)
						if err == nil || errors.Is(err, ErrReplay) || errors.Is(err, ErrRollback) {
							break
						}
						if !errors.Is(err, ErrGap) {
							t.Errorf("apply: %v", err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		st, _ := r.OriginState(a.EntityID)
		if st.Seq != n || st.Equivocation != nil {
			t.Fatalf("state %+v", st)
		}
	})
}
