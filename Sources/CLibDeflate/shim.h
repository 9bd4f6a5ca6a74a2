// libdeflate, for HeraldEPUB only (deflating the entries of a book's ZIP container).
#include <libdeflate.h>
