# CPython run of cookbook recipe 1 (both modules in one file), writing into argv[1].
import logging
import sys

out = sys.argv[1]
app = logging.getLogger("spam_application")
app.setLevel(logging.DEBUG)
to_file = logging.FileHandler(out + "/spam.log")
to_file.setLevel(logging.DEBUG)
to_console = logging.StreamHandler()
to_console.setLevel(logging.ERROR)
fmt = logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s")
to_file.setFormatter(fmt)
to_console.setFormatter(fmt)
app.addHandler(to_file)
app.addHandler(to_console)

aux = logging.getLogger("spam_application.auxiliary.Auxiliary")
app.info("creating an instance of auxiliary_module.Auxiliary")
aux.info("creating an instance of Auxiliary")
app.info("created an instance of auxiliary_module.Auxiliary")
app.info("calling auxiliary_module.Auxiliary.do_something")
aux.info("doing something")
aux.info("done doing something")
app.info("finished auxiliary_module.Auxiliary.do_something")
app.info("calling auxiliary_module.some_function()")
logging.getLogger("spam_application.auxiliary").info('received a call to "some_function"')
app.info("done with auxiliary_module.some_function()")
