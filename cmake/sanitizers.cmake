# KAIWA_SANITIZE=address,undefined (or thread) instruments every target of the build.
if(KAIWA_SANITIZE)
  add_compile_options(-fsanitize=${KAIWA_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KAIWA_SANITIZE})
  if(KAIWA_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC warns that TSan does not model the atomic_thread_fence inside Boost.Asio; the fence is
    # Asio's, not ours, and -Werror must not turn that notice into a failed build.
    add_compile_options(-Wno-tsan)
  endif()
endif()
