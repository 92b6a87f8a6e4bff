package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ListenOptions say where and how the server listens.
type ListenOptions struct {
	Addr string
	// TLSCert and TLSKey are PEM files; both or neither.
	TLSCert, TLSKey string
	// Insecure allows plain HTTP on an address other than loopback.
	Insecure bool
	// ShutdownTimeout bounds the wait for requests in flight when the
	// context ends (30 s when 0).
	ShutdownTimeout time.Duration
}

// ErrPlainHTTP refuses plain HTTP on a network address.
var ErrPlainHTTP = errors.New("plain HTTP is only served on a loopback address: give --tls-cert and --tls-key, or --insecure behind a TLS proxy")

// Listen checks the options and opens the listening socket.
func Listen(lo ListenOptions) (net.Listener, error) {
	if (lo.TLSCert == "") != (lo.TLSKey == "") {
		return nil, errors.New("give both --tls-cert and --tls-key, or neither")
	}
	host, _, err := net.SplitHostPort(lo.Addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", lo.Addr, err)
	}
	if lo.TLSCert == "" && !lo.Insecure && !isLoopback(host) {
		return nil, ErrPlainHTTP
	}
	ln, err := net.Listen("tcp", lo.Addr)
	if err != nil {
		return nil, err
	}
	if lo.TLSCert == "" {
		return ln, nil
	}
	cert, err := tls.LoadX509KeyPair(lo.TLSCert, lo.TLSKey)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("load the TLS certificate: %w", err)
	}
	return tls.NewListener(ln, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"h2", "http/1.1"},
	}), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve serves the API on ln until ctx ends, then shuts down gracefully:
// it stops accepting connections and waits for requests in flight.
func (s *Server) Serve(ctx context.Context, ln net.Listener, lo ListenOptions) error {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		Protocols:         &protocols,
		ErrorLog:          nil,
	}
	if lo.TLSCert != "" {
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	timeout := lo.ShutdownTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	s.log.Info("shutting down: finishing requests in flight", "timeout", timeout.String())
	err := srv.Shutdown(sctx)
	if e := <-done; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}
