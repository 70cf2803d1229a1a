// Package queue keeps the index's group commit queue: the index entries a
// change of sessions left, once its session files were in place, for
// whoever holds the index lock next to write with every other waiting
// change's (see package store's applyGrouped).
//
// An item is one change's entries, in a file of the queue's folder named
// with Prefix. It is written under a dot name and renamed to its own, so
// an item listed is whole. The folder goes when its last item is done, as
// a store the original wrote has none.
package queue
