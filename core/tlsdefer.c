/* tlsdefer.c - the system's CA certificates, loaded on first TLS use. */
#include <dlfcn.h>
#include <stddef.h>

#include <git2.h>

#include "error.h"
#include "tlsdefer.h"

#define CA_BUNDLE	"/etc/ssl/certs/ca-certificates.crt"

/* libgit2's TLS set-up is process-wide, so this flag is too. */
static int	 certificates_wanted;

/* Declared here, not from <mbedtls/x509_crt.h>: pmtool does not build
 * against mbedTLS, it only stands in for this one function. The chain is
 * an opaque pointer to the caller's mbedtls_x509_crt. */
int	 mbedtls_x509_crt_parse_file(void *chain, const char *path);

int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	int	(*real)(void *, const char *);

	if (!certificates_wanted)
		return 0;	/* an empty chain: no TLS yet */
	/* POSIX's way to take a function from dlsym() without converting an
	 * object pointer to a function pointer, which ISO C does not allow. */
	*(void **)&real = dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
	if (real == NULL)
		return -1;
	return real(chain, path);
}

void
tls_defer_certificates(void)
{
	certificates_wanted = 0;
}

int
tls_load_certificates(void)
{
	if (certificates_wanted)
		return 0;
	certificates_wanted = 1;
	if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, CA_BUNDLE,
	    NULL) < 0)
		return pm_error_git("cannot load the CA certificates of %s",
		    CA_BUNDLE);
	return 0;
}
