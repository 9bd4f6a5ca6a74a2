// libxml2, for HeraldXHTML only (HTML parsing, XHTML serialization, well-formedness checks).
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its encoding.h would pull the system ICU headers, which clash
// with the ICU bundled in Foundation. Hiding the flag only hides ICU fields nobody here uses.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
