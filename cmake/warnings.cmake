# Warnings every Kaiwa target compiles with (conventions.md); errors unless KAIWA_WERROR=OFF.
add_library(kaiwa_warnings INTERFACE)
target_compile_options(kaiwa_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast
  $<$<BOOL:${KAIWA_WERROR}>:-Werror>)
