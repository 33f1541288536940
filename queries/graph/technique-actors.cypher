// Graph view: the threat actors that use a technique, directly or through their software.
// @name technique-actors
MATCH (t:Technique)
WHERE toLower(t.external_id) = toLower($technique) OR toLower(t.name) = toLower($technique)
CALL (t) {
  MATCH p = (:ThreatActor)-[:USES]->(t) RETURN p
  UNION
  MATCH p = (:ThreatActor)-[:USES]->(:Malware|Tool)-[:USES]->(t) RETURN p
}
RETURN p
