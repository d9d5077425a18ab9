// Command netpol-cluster-helper does the few things start.sh cannot do with
// bash alone on a machine that has only Go and bash: wait for an HTTP(S)
// health endpoint and, when openssl is missing, generate an RSA key pair.
// Standard library only.
//
//	netpol-cluster-helper wait URL [-token T] [-ca FILE] [-timeout 90s] [-pid PID]
//	netpol-cluster-helper keygen PRIVATE.pem PUBLIC.pem
//	netpol-cluster-helper freeport [N]
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "wait":
		err = wait(os.Args[2:])
	case "keygen":
		err = keygen(os.Args[2:])
	case "freeport":
		err = freeport(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "netpol-cluster-helper:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: netpol-cluster-helper wait URL [-token T] [-ca FILE] [-timeout D] [-pid PID] | keygen PRIV PUB | freeport [N]")
	os.Exit(2)
}

// wait polls URL until it answers 200, the timeout passes, or process PID exits.
func wait(args []string) error {
	if len(args) < 1 {
		usage()
	}
	target := args[0]
	fs := flag.NewFlagSet("wait", flag.ExitOnError)
	token := fs.String("token", "", "bearer token")
	caFile := fs.String("ca", "", "CA bundle (default: skip TLS verification)")
	timeout := fs.Duration("timeout", 90*time.Second, "give up after")
	pid := fs.Int("pid", 0, "fail early if this process exits")
	_ = fs.Parse(args[1:])

	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return fmt.Errorf("refusing to contact non-loopback host %q", h)
	}
	tlsConf := &tls.Config{InsecureSkipVerify: true}
	if *caFile != "" {
		pemBytes, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			return fmt.Errorf("no certificates in %s", *caFile)
		}
		tlsConf = &tls.Config{RootCAs: pool}
	}
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: tlsConf, Proxy: nil},
	}
	deadline := time.Now().Add(*timeout)
	last := "no answer yet"
	for {
		if *pid > 0 && syscall.Kill(*pid, 0) != nil {
			return fmt.Errorf("process %d exited while waiting for %s (%s)", *pid, target, last)
		}
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		if *token != "" {
			req.Header.Set("Authorization", "Bearer "+*token)
		}
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s: %s", target, *timeout, last)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// keygen writes an RSA-2048 private key (PKCS#8 PEM) and its public key (PKIX PEM).
func keygen(args []string) error {
	if len(args) != 2 {
		usage()
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	priv, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := os.WriteFile(args[0], pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv}), 0o600); err != nil {
		return err
	}
	return os.WriteFile(args[1], pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644)
}

// freeport prints N (default 1) distinct TCP ports that were free on 127.0.0.1
// a moment ago. Ports are drawn at random from 20000-32767, below the usual
// ephemeral ranges (Linux 32768-60999, macOS 49152-65535), so that outgoing
// connections (e.g. kube-apiserver -> etcd) do not grab them in the meantime.
// The caller still has to cope with a race (start.sh retries).
func freeport(args []string) error {
	n := 1
	if len(args) > 0 {
		var err error
		if n, err = strconv.Atoi(args[0]); err != nil || n < 1 {
			usage()
		}
	}
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for tries := 0; len(ls) < n; tries++ {
		if tries > 1000 {
			return fmt.Errorf("no free port found on 127.0.0.1")
		}
		port := 20000 + mrand.IntN(32768-20000)
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ls = append(ls, l)
		fmt.Println(port)
	}
	return nil
}
