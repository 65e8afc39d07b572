# CPython run of cookbook recipe 4, writing into argv[1].
import logging
import sys

logging.basicConfig(level=logging.DEBUG,
                    format="%(asctime)s %(name)-12s %(levelname)-8s %(message)s",
                    datefmt="%m-%d %H:%M", filename=sys.argv[1] + "/myapp.log", filemode="w")
console = logging.StreamHandler()
console.setLevel(logging.INFO)
console.setFormatter(logging.Formatter("%(name)-12s: %(levelname)-8s %(message)s"))
logging.getLogger("").addHandler(console)
logging.info("Jackdaws love my big sphinx of quartz.")
area1 = logging.getLogger("myapp.area1")
area2 = logging.getLogger("myapp.area2")
area1.debug("Quick zephyrs blow, vexing daft Jim.")
area1.info("How quickly daft jumping zebras vex.")
area2.warning("Jail zesty vixen who grabbed pay from quack.")
area2.error("The five boxing wizards jump quickly.")
