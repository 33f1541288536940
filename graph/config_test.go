package graph

import "testing"

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Config
	}{
		{"defaults", nil, Config{URI: DefaultURI, Username: DefaultUsername, Database: DefaultDatabase}},
		{"all set", map[string]string{EnvURI: "bolt://db:7687", EnvUsername: "u", EnvPassword: "p", EnvDatabase: "d"},
			Config{URI: "bolt://db:7687", Username: "u", Password: "p", Database: "d"}},
		{"password only", map[string]string{EnvPassword: "secret"},
			Config{URI: DefaultURI, Username: DefaultUsername, Password: "secret", Database: DefaultDatabase}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		uri, db string
		ok      bool
	}{
		{"neo4j://localhost:7687", "neo4j", true},
		{"neo4j+s://abc.databases.neo4j.io", "neo4j", true},
		{"neo4j+ssc://10.0.0.1:7687", "neo4j", true},
		{"bolt://localhost", "neo4j", true},
		{"bolt+s://h:7687", "neo4j", true},
		{"bolt+ssc://h:7687", "movies", true},
		{"http://localhost:7474", "neo4j", false},
		{"localhost:7687", "neo4j", false},
		{"neo4j://", "neo4j", false},
		{"neo4j://localhost", " ", false},
		{"::not a uri", "neo4j", false},
	}
	for _, tt := range tests {
		err := Config{URI: tt.uri, Database: tt.db}.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("Validate(%q, %q) = %v, want ok=%v", tt.uri, tt.db, err, tt.ok)
		}
		if err != nil {
			ce, isConnErr := err.(*ConnectError)
			if !isConnErr || ce.Kind != InvalidConfig {
				t.Errorf("Validate(%q) returned %T %v, want *ConnectError of kind InvalidConfig", tt.uri, err, err)
			}
		}
	}
}

func TestConfigRedacted(t *testing.T) {
	c := Config{URI: "neo4j://alice:secret@db.example.org:7687"}
	if got := c.Redacted(); got != "neo4j://db.example.org:7687" {
		t.Errorf("Redacted() = %q", got)
	}
}
