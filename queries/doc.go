// Package queries is threatkg's catalogue of canned, parameterised Cypher
// queries: one .cypher file per query, embedded in the binary and runnable
// unchanged in Neo4j Browser.
package queries
