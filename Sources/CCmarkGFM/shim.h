// libcmark-gfm and its GFM extensions, for HeraldMarkdown's converter only.
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

// The extension node types are exported by the extensions library but declared only in
// headers Debian does not install. Swift 6 rejects mutable C globals, so read them through
// inline getters.
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL,
    CMARK_NODE_STRIKETHROUGH;
static inline cmark_node_type herald_cmark_node_table(void) { return CMARK_NODE_TABLE; }
static inline cmark_node_type herald_cmark_node_table_row(void) { return CMARK_NODE_TABLE_ROW; }
static inline cmark_node_type herald_cmark_node_table_cell(void) { return CMARK_NODE_TABLE_CELL; }
static inline cmark_node_type herald_cmark_node_strikethrough(void) { return CMARK_NODE_STRIKETHROUGH; }
