# KAIWA_SANITIZE=address,undefined (or thread) instruments every target of the build.
if(KAIWA_SANITIZE)
  add_compile_options(-fsanitize=${KAIWA_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KAIWA_SANITIZE})
endif()
