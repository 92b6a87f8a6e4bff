// Package sync keeps a local rolo database in step with a team server:
// it pushes the local writes from the change log, pulls everyone else's
// page by page, and merges them field group by field group (the rules are
// in store.Tx.ApplyRemote and docs/sync-protocol.md). The team server
// itself is in sync/server.
package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// ErrCursorReset says the server's data went back in time (it was
// restored from a backup): the client pushes everything again.
var ErrCursorReset = errors.New("the server's data was restored: its change feed starts again")

// ErrUnauthorized says the server refused the token.
var ErrUnauthorized = errors.New("the server refused the token (unknown or revoked): run rolo sync login")

// ServerError is an error response from the server.
type ServerError struct {
	Status  int
	Code    string
	Message string
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("the server answered %d %s: %s", e.Status, e.Code, e.Message)
}

// OfflineError says the server could not be reached.
type OfflineError struct {
	Server string
	Err    error
}

func (e *OfflineError) Error() string {
	return fmt.Sprintf("cannot reach %s (offline?): %v", e.Server, e.Err)
}

func (e *OfflineError) Unwrap() error { return e.Err }

// ClientOptions tune a Client. Zero values take the defaults.
type ClientOptions struct {
	// Timeout bounds one attempt of one request (2 minutes).
	Timeout time.Duration
	// Attempts is how many times a request is tried (5).
	Attempts int
	// Backoff is the first wait between attempts, doubled each time up to
	// MaxBackoff (250 ms, 10 s), with jitter.
	Backoff, MaxBackoff time.Duration
	// Transport carries the requests (a tuned http.Transport when nil).
	Transport http.RoundTripper
	// UserAgent is sent with every request.
	UserAgent string
}

// Client talks to a team server's /v1 API. It retries what failed on the
// way (network errors, 5xx, 429) with backoff: every request is
// idempotent, pushes included (ops carry their ids).
type Client struct {
	base  *url.URL
	token string
	opts  ClientOptions
	http  *http.Client
}

// maxResponse bounds a response body.
const maxResponse = 512 << 20

// NewClient returns a client of the server at serverURL.
func NewClient(serverURL, token string, opts ClientOptions) (*Client, error) {
	u, err := ParseServerURL(serverURL)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 250 * time.Millisecond
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 10 * time.Second
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "rolo-sync"
	}
	tr := opts.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = 10 * time.Second
		t.ResponseHeaderTimeout = opts.Timeout
		t.MaxIdleConnsPerHost = 4
		t.ForceAttemptHTTP2 = true
		tr = t
	}
	return &Client{base: u, token: token, opts: opts, http: &http.Client{Transport: tr}}, nil
}

// ParseServerURL checks a server URL: http or https, with a host.
func ParseServerURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(s), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server %q: want a URL such as https://crm.example.com or http://127.0.0.1:7420", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// Server returns the server's URL.
func (c *Client) Server() string { return c.base.String() }

// Status asks for the server's status (with the team's position when the
// token is valid).
func (c *Client) Status(ctx context.Context) (protocol.Status, error) {
	var st protocol.Status
	err := c.do(ctx, http.MethodGet, "/v1/status", nil, nil, &st)
	return st, err
}

// Push sends ops.
func (c *Client) Push(ctx context.Context, ops []protocol.Op) (protocol.PushResponse, error) {
	var resp protocol.PushResponse
	body := protocol.AppendPush(nil, ops)
	err := c.do(ctx, http.MethodPost, "/v1/sync/push", nil, body, &resp)
	if err == nil && resp.Accepted+resp.Duplicates+len(resp.Rejected) != len(ops) {
		err = fmt.Errorf("the server answered for %d of %d ops", resp.Accepted+resp.Duplicates+len(resp.Rejected), len(ops))
	}
	return resp, err
}

// Changes pulls a page of the change feed after cursor since, leaving out
// the ops of replica exclude.
func (c *Client) Changes(ctx context.Context, since string, limit int, exclude store.Replica) (protocol.ChangesResponse, error) {
	var resp protocol.ChangesResponse
	q := url.Values{"since": {since}, "limit": {strconv.Itoa(limit)}, "exclude": {exclude.String()}}
	err := c.do(ctx, http.MethodGet, "/v1/sync/changes", q, nil, &resp)
	return resp, err
}

// Snapshot pulls a page of the team's current state, leaving out what
// replica exclude wrote.
func (c *Client) Snapshot(ctx context.Context, after string, limit int, exclude store.Replica) (protocol.SnapshotResponse, error) {
	var resp protocol.SnapshotResponse
	q := url.Values{"limit": {strconv.Itoa(limit)}, "exclude": {exclude.String()}}
	if after != "" {
		q.Set("after", after)
	}
	err := c.do(ctx, http.MethodGet, "/v1/snapshot", q, nil, &resp)
	return resp, err
}

// do sends a request, retrying failures that may pass, and decodes the
// JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body []byte, out any) error {
	var last error
	for attempt := 0; attempt < c.opts.Attempts; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, c.backoff(attempt, last)); err != nil {
				return err
			}
		}
		err := c.once(ctx, method, path, q, body, out)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return err
		}
		last = err
	}
	var se *ServerError
	if errors.As(last, &se) {
		return last
	}
	return &OfflineError{Server: c.base.String(), Err: last}
}

// retryAfterError carries a server's Retry-After.
type retryAfterError struct {
	*ServerError
	wait time.Duration
}

func (e retryAfterError) Unwrap() error { return e.ServerError }

func (c *Client) backoff(attempt int, last error) time.Duration {
	var ra retryAfterError
	if errors.As(last, &ra) && ra.wait > 0 {
		return min(ra.wait, time.Minute)
	}
	d := c.opts.Backoff << (attempt - 1)
	if d > c.opts.MaxBackoff || d <= 0 {
		d = c.opts.MaxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryable reports whether a failed request may succeed if sent again.
func retryable(err error) bool {
	var se *ServerError
	if errors.As(err, &se) {
		return se.Status >= 500 || se.Status == http.StatusTooManyRequests
	}
	return !errors.Is(err, ErrUnauthorized) && !errors.Is(err, ErrCursorReset) && !errors.Is(err, errDecode)
}

var errDecode = errors.New("the server's answer is not the expected JSON")

func (c *Client) once(ctx context.Context, method, path string, q url.Values, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	u := *c.base
	u.Path += path
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return responseError(resp, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: %v", errDecode, err)
	}
	return nil
}

func responseError(resp *http.Response, data []byte) error {
	var eb protocol.ErrorBody
	_ = json.Unmarshal(data, &eb)
	se := &ServerError{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
	if se.Message == "" {
		se.Message = http.StatusText(resp.StatusCode)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return ErrUnauthorized
	case resp.StatusCode == http.StatusGone && se.Code == protocol.CodeCursorReset:
		return ErrCursorReset
	case resp.StatusCode == http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return retryAfterError{ServerError: se, wait: time.Duration(secs) * time.Second}
	}
	return se
}
