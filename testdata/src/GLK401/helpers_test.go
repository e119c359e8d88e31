package glk401

import (
	"context"
	"testing"
)

type fakeStore struct{ saved []Order }

func (f *fakeStore) Load(ctx context.Context, id string) (Order, error) {
	return Order{ID: id}, ctx.Err()
}

func (f *fakeStore) Save(ctx context.Context, o Order) error {
	f.saved = append(f.saved, o)
	return ctx.Err()
}

// Negative: test entry points own their root context.
func TestSave(t *testing.T) {
	s := &fakeStore{}
	if err := s.Save(context.Background(), Order{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	t.Run("nested", func(t *testing.T) {
		_ = s.Save(context.TODO(), Order{ID: "b"})
	})
}

func BenchmarkLoad(b *testing.B) {
	s := &fakeStore{}
	for i := 0; i < b.N; i++ {
		_, _ = s.Load(context.Background(), "a")
	}
}

// Positive: a helper that is given ctx but re-roots.
func saveAll(ctx context.Context, s Store, orders []Order) error {
	for _, o := range orders {
		if err := s.Save(context.Background(), o); err != nil { // want GLK401
			return err
		}
	}
	return ctx.Err()
}

func TestSaveAll(t *testing.T) {
	if err := saveAll(context.Background(), &fakeStore{}, []Order{{ID: "x"}}); err != nil {
		t.Fatal(err)
	}
}

// Negative: a test body run through a table or t.Run wrapper takes *testing.T.
func testSaveWithRetry(t *testing.T, ctx context.Context) {
	if err := (&fakeStore{}).Save(context.Background(), Order{ID: "r"}); err != nil {
		t.Fatal(err)
	}
	_ = ctx
}

func TestSaveWithRetry(t *testing.T) { testSaveWithRetry(t, context.Background()) }

// Negative: a helper shared by tests and benchmarks takes testing.TB; it owns its root.
func saveFixture(tb testing.TB, ctx context.Context, s Store) {
	if err := s.Save(context.TODO(), Order{ID: "fixture"}); err != nil {
		tb.Fatal(err)
	}
	_ = ctx
}

func TestSaveFixture(t *testing.T) { saveFixture(t, context.Background(), &fakeStore{}) }
