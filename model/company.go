package model

import (
	"strings"
	"time"
)

// Company is an organisation contacts belong to and deals are made with.
type Company struct {
	ID        ID                `json:"id"`
	Name      string            `json:"name"`
	Domain    string            `json:"domain,omitempty"`
	Industry  string            `json:"industry,omitempty"`
	Size      string            `json:"size,omitempty"`
	Phone     string            `json:"phone,omitempty"`
	Address   Address           `json:"address,omitzero"`
	Tags      []string          `json:"tags"`
	Owner     string            `json:"owner,omitempty"`
	Custom    map[string]string `json:"custom,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Normalize validates c and puts its fields in canonical form.
func (c *Company) Normalize(Rules) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return invalid("name", "", "model.company.name")
	}
	c.Domain = strings.ToLower(strings.TrimSpace(c.Domain))
	c.Domain = strings.TrimPrefix(strings.TrimPrefix(c.Domain, "https://"), "http://")
	c.Domain, _, _ = strings.Cut(c.Domain, "/") // a pasted URL: keep its host
	c.Domain = strings.TrimPrefix(c.Domain, "www.")
	if strings.ContainsAny(c.Domain, " @") {
		return invalid("domain", c.Domain, "model.domain.invalid")
	}
	if c.Address.IsZero() {
		c.Address = Address{} // a label alone is no address, and JSON would drop it
	}
	c.Tags = NormalizeTags(c.Tags)
	c.Custom = normalizeCustom(c.Custom)
	return nil
}
