"""Schools: gate duty from the duty roster, the visitor and vehicle logs, camera checks, key-spot
patrols, drills from plans, guard staffing by GB/T 29315-2022, young pupils' handover, and the
street's view of its schools (issue 18)."""
