// Package store keeps rolo's records in one bbolt file: a bucket per
// entity, secondary indexes, a change log written in the same transaction
// as every change, and the schema version with its migrations.
//
// Every write is one bbolt transaction that updates the record, its
// indexes and the change log together, so a crash at any instant leaves a
// consistent file. The file lock is held only while a Store is open; a
// Store opened with Options.Transient holds it only for the length of
// each transaction, so a long-running TUI never keeps scripts out.
package store
