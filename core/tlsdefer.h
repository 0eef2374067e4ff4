/*
 * tlsdefer.h - load the system's CA certificates only when TLS is used.
 *
 * Debian's libgit2 1.5 is built with mbedTLS and parses every certificate
 * of /etc/ssl/certs/ca-certificates.crt inside git_libgit2_init(): about
 * 14 ms on every pmtool run, most of a 'pmtool log', for a bundle that only
 * an https remote ever needs. pmtool therefore defines the mbedTLS loader
 * mbedtls_x509_crt_parse_file() itself (the executable exports it, so the
 * dynamic linker binds libgit2's call to it): until tls_load_certificates()
 * is called it loads nothing; after that it forwards to the real function.
 * With a libgit2 built on another TLS library the function is simply never
 * called and nothing changes.
 */
#ifndef PM_TLSDEFER_H
#define PM_TLSDEFER_H

/* Call before git_libgit2_init(); links this module in. */
void	 tls_defer_certificates(void);
/* Load the certificates for real (before any https fetch or push).
 * Returns 0, or -1 with the error set. */
int	 tls_load_certificates(void);

#endif
