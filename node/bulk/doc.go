// Package bulk reads the CSV files of recipients that a node awards a badge to in one go.
//
// A file names its columns on the first line (UTF-8, optional byte order mark, ',' or ';'
// sniffed from that line, names case-insensitive):
//
//	email, did, name, show_name, narrative, evidence_url, evidence_name,
//	credits_earned, activity_start, activity_end, valid_until, row_key
//
// Either email or did must be a column. NewReader checks the header; Reader.Next then streams
// one data row at a time without holding the file: a row that is wrong comes back as a
// *RowError naming its line and column, and the reader goes on with the next row. Rows whose
// cells are all empty (as spreadsheets write after the data) are skipped.
//
// Each row has a RowKey (the row_key column, else the lowercased e-mail, else the DID) that
// makes uploads idempotent: the node awards a RowKey once per achievement, so uploading the
// same file twice never awards twice. Two rows of one file with the same RowKey are an error
// on the second.
//
// The package is pure: no HTTP, no storage, no logging.
package bulk
