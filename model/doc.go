// Package model holds rolo's domain types and the rules that govern them:
// validation and normalisation of contacts, companies, deals, tasks and
// activities, money, dates, pipeline stages and the field groups that sync
// merges by. It performs no I/O and imports nothing else of rolo's but
// i18n, which holds the text of its validation errors in every language.
package model
