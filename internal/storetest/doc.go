// Package storetest holds what the tests of several packages need of a
// store on disk: a copy of the store the original tool wrote, and a small
// store made to be searched.
//
// It is for tests only. It copies testdata/original-store whole into a
// test's temp folder, and makes the searchable store through pkg/store's
// commands; it names no file inside a store.
package storetest
