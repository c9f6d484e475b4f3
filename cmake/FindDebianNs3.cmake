# find_package(ns3) for Debian 12's libns3-dev 3.37.
#
# Debian's ns3Targets.cmake declares three helper executables (raw-sock-creator, tap-creator,
# tap-device-creator) that ship in the `ns3` package, which libns3-dev Breaks; the generated
# file then stops with FATAL_ERROR because those files are missing. waterfall uses none of
# them, so while find_package(ns3) runs, exactly that complaint is downgraded to a note.
set(_waterfall_finding_ns3 TRUE)
function(message mode)
  if(_waterfall_finding_ns3 AND mode STREQUAL "FATAL_ERROR"
     AND "${ARGV1}" MATCHES "ns3::(raw-sock-creator|tap-creator|tap-device-creator)")
    return()
  endif()
  _message(${ARGV})
endfunction()
find_package(ns3 3.37 REQUIRED CONFIG)
set(_waterfall_finding_ns3 FALSE)
