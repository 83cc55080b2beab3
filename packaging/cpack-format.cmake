# CPACK_PROJECT_CONFIG_FILE: cpack includes it once per generator, before it
# runs the install rules; they read the format from the environment to put
# files where that distribution wants them (rsagent-packages.cmake).
set(ENV{RSAGENT_PACKAGE_FORMAT} "${CPACK_GENERATOR}")
